// Russian strings for the "summary" area; the English file must have the same keys.
export const summaryRu = {};
