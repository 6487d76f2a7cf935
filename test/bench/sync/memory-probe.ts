// Loaded into both bench servers (`--import`): on a `mem` line on stdin it collects
// garbage and prints `MEM {"rss","heapUsed","external"}`, so memory per room compares
// live objects rather than allocator noise.
import { createInterface } from 'node:readline';

const gc = (globalThis as { gc?: () => void }).gc;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'mem') return;
  gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  process.stdout.write(`MEM ${JSON.stringify({ rss, heapUsed, external })}\n`);
});
