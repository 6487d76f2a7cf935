import type { Widen } from '../widen';
import type { sharingRu } from './sharing.ru';

export const sharingEn: Widen<typeof sharingRu> = {};
