import type { Widen } from '../widen';
import type { canvasRu } from './canvas.ru';

export const canvasEn: Widen<typeof canvasRu> = {};
