// Russian strings for the "session" area; the English file must have the same keys.
export const sessionRu = {};
