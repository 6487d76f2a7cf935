import { z } from 'zod';
import type { BoardClip } from './board-geometry';
import { boardEdgeSchema, boardNodeSchema } from './records';

// Copied board objects travel as JSON text marked as Stratboard's, so a paste between
// boards (or windows) recognises its own payload and ignores anything else on the clipboard.
const CLIP_KIND = 'stratboard/board-clip';

const clipSchema = z.object({
  kind: z.literal(CLIP_KIND),
  version: z.literal(1),
  nodes: z.array(boardNodeSchema).max(20_000),
  edges: z.array(boardEdgeSchema).max(50_000),
});

export function encodeClip(clip: BoardClip): string {
  return JSON.stringify({ kind: CLIP_KIND, version: 1, nodes: clip.nodes, edges: clip.edges });
}

/** The clip in `text`, or null if the text is not a (valid) Stratboard payload. */
export function decodeClip(text: string): BoardClip | null {
  if (!text.includes(CLIP_KIND)) return null;
  try {
    const parsed = clipSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.nodes.length > 0 ? { nodes: parsed.data.nodes, edges: parsed.data.edges } : null;
  } catch {
    return null;
  }
}
