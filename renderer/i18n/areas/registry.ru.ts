// Russian strings for the "registry" area; the English file must have the same keys.
export const registryRu = {};
