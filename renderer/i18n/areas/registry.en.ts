import type { Widen } from '../widen';
import type { registryRu } from './registry.ru';

export const registryEn: Widen<typeof registryRu> = {};
