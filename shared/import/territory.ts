import type { Id } from '../ids';
import type { Territory } from '../model/records';

// Words that name the kind of a territory rather than the territory itself: dropped
// before matching, so «г. Северск», «город Северск» and «Северск» are one place.
const kindWords = new Set([
  'г', 'гор', 'город', 'городской', 'округ', 'го', 'гп', 'пгт', 'рп', 'поселок', 'пос', 'п', 'посёлок',
  'с', 'село', 'д', 'дер', 'деревня', 'ст', 'станица', 'х', 'хутор', 'сп', 'сельское', 'городское', 'поселение',
  'р', 'н', 'рн', 'район', 'муниципальный', 'муниципального', 'мр', 'мо', 'муниципальное', 'образование',
  'мкр', 'микрорайон', 'сельсовет', 'с/с', 'тер', 'территория', 'нп', 'снт', 'аул', 'слобода', 'сл', 'рабочий',
  'городского', 'сельского', 'поселения', 'района', 'округа', 'образования',
]);

/** Lowercase, «ё» → «е», punctuation to spaces, kind words («г.», «р-н», «с.», «МО» …) removed. */
export function normalizeTerritoryName(name: string): string {
  const words = name
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/р-н|р\.\s?н\.|р\/н/g, ' район ')
    .replace(/г\.\s?о\.|м\.\s?о\.|м\.\s?р\.|с\.\s?п\.|г\.\s?п\./g, ' ')
    .replace(/[^0-9a-zа-я]+/g, ' ')
    .split(' ')
    .filter((word) => word && !kindWords.has(word));
  return words.join(' ');
}

export type TerritoryResolution =
  | { status: 'resolved'; territoryId: Id }
  /** The district is known but the settlement isn't: the appeal goes to the district, the name is reported. */
  | { status: 'partial'; territoryId: Id; unresolvedName: string }
  | { status: 'unresolved'; unresolvedName: string }
  | { status: 'missing' };

/** Matches territory names from files against the workspace's territory list (names and aliases). */
export class TerritoryResolver {
  private readonly byKey = new Map<string, Territory[]>();
  private readonly byId: Map<Id, Territory>;
  private readonly cache = new Map<string, TerritoryResolution>();

  constructor(territories: readonly Territory[]) {
    this.byId = new Map(territories.map((t) => [t.id, t]));
    for (const territory of territories) {
      for (const name of [territory.name, ...territory.aliases]) {
        const key = normalizeTerritoryName(name);
        if (!key) continue;
        const list = this.byKey.get(key) ?? [];
        if (!list.includes(territory)) list.push(territory);
        this.byKey.set(key, list);
      }
    }
  }

  /**
   * Resolves a row's territory from whatever columns it has: a district, a settlement,
   * a single territory column, or (last resort) the parts of an address.
   */
  resolve(input: { district?: string; settlement?: string; territory?: string; address?: string }): TerritoryResolution {
    const cacheKey = `${input.district ?? ''}\u0000${input.settlement ?? ''}\u0000${input.territory ?? ''}\u0000${input.address ?? ''}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const result = this.resolveUncached(input);
    if (this.cache.size < 100_000) this.cache.set(cacheKey, result);
    return result;
  }

  private resolveUncached(input: { district?: string; settlement?: string; territory?: string; address?: string }): TerritoryResolution {
    const district = input.district?.trim() ? this.find(input.district, undefined, true) : undefined;
    const districtId = district?.id;
    const place = [input.settlement, input.territory].find((value) => value?.trim());
    if (place) {
      const settlement = this.find(place, districtId, false);
      if (settlement) return { status: 'resolved', territoryId: settlement.id };
      if (districtId) return { status: 'partial', territoryId: districtId, unresolvedName: place.trim() };
      return { status: 'unresolved', unresolvedName: place.trim() };
    }
    if (districtId) {
      // an address may still name the settlement inside the district
      const fromAddress = input.address ? this.fromAddress(input.address, districtId) : undefined;
      return { status: 'resolved', territoryId: fromAddress?.id ?? districtId };
    }
    if (input.district?.trim()) return { status: 'unresolved', unresolvedName: input.district.trim() };
    const fromAddress = input.address ? this.fromAddress(input.address, undefined) : undefined;
    if (fromAddress) return { status: 'resolved', territoryId: fromAddress.id };
    return { status: 'missing' };
  }

  private fromAddress(address: string, districtId: Id | undefined): Territory | undefined {
    for (const part of address.split(/[,;]/)) {
      const found = this.find(part, districtId, false);
      if (found && found.id !== districtId) return found;
    }
    return undefined;
  }

  /** The territory a name denotes; inside `withinId` when given; districts preferred when `preferDistrict`. */
  private find(name: string, withinId: Id | undefined, preferDistrict: boolean): Territory | undefined {
    const candidates = this.byKey.get(normalizeTerritoryName(name));
    if (!candidates || candidates.length === 0) return undefined;
    let pool = withinId ? candidates.filter((t) => t.id !== withinId && this.isWithin(t, withinId)) : candidates;
    if (pool.length === 0) return undefined;
    if (pool.length > 1) {
      const districts = pool.filter((t) => t.kind === 'district' || t.kind === 'okrug');
      const others = pool.filter((t) => t.kind !== 'district' && t.kind !== 'okrug' && t.kind !== 'region');
      pool = preferDistrict ? (districts.length ? districts : pool) : others.length ? others : pool;
    }
    // Two settlements of one name in different districts and no district to tell them apart: unresolved.
    return pool.length === 1 ? pool[0] : undefined;
  }

  private isWithin(territory: Territory, ancestorId: Id): boolean {
    let current: Territory | undefined = territory;
    for (let depth = 0; current?.parentId && depth < 10; depth++) {
      if (current.parentId === ancestorId) return true;
      current = this.byId.get(current.parentId);
    }
    return false;
  }
}
