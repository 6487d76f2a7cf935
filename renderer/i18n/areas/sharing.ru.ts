// Russian strings for the "sharing" area; the English file must have the same keys.
export const sharingRu = {};
