// Russian strings for the "canvas" area; the English file must have the same keys.
export const canvasRu = {};
