import type { Widen } from '../widen';
import type { sessionRu } from './session.ru';

export const sessionEn: Widen<typeof sessionRu> = {};
