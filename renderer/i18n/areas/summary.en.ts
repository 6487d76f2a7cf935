import type { Widen } from '../widen';
import type { summaryRu } from './summary.ru';

export const summaryEn: Widen<typeof summaryRu> = {};
