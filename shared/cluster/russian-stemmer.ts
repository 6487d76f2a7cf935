// The Snowball Russian stemmer (snowballstem.org/algorithms/russian/stemmer.html),
// written out over plain strings. Input: a lowercase word; «ё» is treated as «е».

const VOWELS = 'аеиоуыэюя';
const isVowel = (c: string | undefined) => c !== undefined && VOWELS.includes(c);

const PERFECTIVE_GERUND_1 = ['вшись', 'вши', 'в'];
const PERFECTIVE_GERUND_2 = ['ившись', 'ывшись', 'ивши', 'ывши', 'ив', 'ыв'];
const ADJECTIVE = ['ими', 'ыми', 'его', 'ого', 'ему', 'ому', 'ее', 'ие', 'ые', 'ое', 'ей', 'ий', 'ый', 'ой', 'ем', 'им', 'ым', 'ом', 'их', 'ых', 'ую', 'юю', 'ая', 'яя', 'ою', 'ею'];
const PARTICIPLE_1 = ['ем', 'нн', 'вш', 'ющ', 'щ'];
const PARTICIPLE_2 = ['ивш', 'ывш', 'ующ'];
const REFLEXIVE = ['ся', 'сь'];
const VERB_1 = ['ла', 'на', 'ете', 'йте', 'ли', 'й', 'л', 'ем', 'н', 'ло', 'но', 'ет', 'ют', 'ны', 'ть', 'ешь', 'нно'];
const VERB_2 = ['ила', 'ыла', 'ена', 'ейте', 'уйте', 'ите', 'или', 'ыли', 'ей', 'уй', 'ил', 'ыл', 'им', 'ым', 'ен', 'ило', 'ыло', 'ено', 'ят', 'ует', 'уют', 'ит', 'ыт', 'ены', 'ить', 'ыть', 'ишь', 'ую', 'ю'];
const NOUN = ['иями', 'ями', 'ами', 'ией', 'иям', 'ием', 'иях', 'ев', 'ов', 'ие', 'ье', 'еи', 'ии', 'ей', 'ой', 'ий', 'ям', 'ем', 'ам', 'ом', 'ах', 'ях', 'ию', 'ью', 'ия', 'ья', 'а', 'е', 'и', 'й', 'о', 'у', 'ы', 'ь', 'ю', 'я'];
const SUPERLATIVE = ['ейше', 'ейш'];
const DERIVATIONAL = ['ость', 'ост'];

const byLengthDesc = (list: string[]) => [...list].sort((a, b) => b.length - a.length);
const lists = {
  gerund1: byLengthDesc(PERFECTIVE_GERUND_1),
  gerund2: byLengthDesc(PERFECTIVE_GERUND_2),
  adjective: byLengthDesc(ADJECTIVE),
  participle1: byLengthDesc(PARTICIPLE_1),
  participle2: byLengthDesc(PARTICIPLE_2),
  reflexive: byLengthDesc(REFLEXIVE),
  verb1: byLengthDesc(VERB_1),
  verb2: byLengthDesc(VERB_2),
  noun: byLengthDesc(NOUN),
  superlative: byLengthDesc(SUPERLATIVE),
  derivational: byLengthDesc(DERIVATIONAL),
};

/** The longest suffix of `word` from `suffixes` that starts at or after `from`. */
function longest(word: string, suffixes: readonly string[], from: number): string | undefined {
  for (const suffix of suffixes) {
    if (word.length - suffix.length >= from && word.endsWith(suffix)) return suffix;
  }
  return undefined;
}

/**
 * Removes the longest ending among two groups, where group-1 endings count only after
 * «а» or «я» (inside RV). Snowball's `among` picks the longest match over both groups
 * and fails if that match's condition fails.
 */
function removeGrouped(word: string, group1: readonly string[], group2: readonly string[], rv: number): string | undefined {
  const a = longest(word, group1, rv);
  const b = longest(word, group2, rv);
  if (b && (!a || b.length >= a.length)) return word.slice(0, -b.length);
  if (a) {
    const before = word.length - a.length - 1;
    if (before >= rv && (word[before] === 'а' || word[before] === 'я')) return word.slice(0, -a.length);
  }
  return undefined;
}

function regions(word: string): { rv: number; r2: number } {
  let rv = word.length;
  for (let i = 0; i < word.length; i++) {
    if (isVowel(word[i])) {
      rv = i + 1;
      break;
    }
  }
  const r1 = regionAfter(word, 0);
  const r2 = regionAfter(word, r1);
  return { rv, r2: Math.max(r2, r1) };
}

/** Start of the region after the first non-vowel that follows a vowel, looking from `start`. */
function regionAfter(word: string, start: number): number {
  for (let i = start + 1; i < word.length; i++) {
    if (!isVowel(word[i]) && isVowel(word[i - 1])) return i + 1;
  }
  return word.length;
}

export function stemRussian(input: string): string {
  let word = input.replace(/ё/g, 'е');
  if (word.length < 3 || !/[а-я]/.test(word)) return word;
  const { rv, r2 } = regions(word);

  // Step 1
  const gerund = removeGrouped(word, lists.gerund1, lists.gerund2, rv);
  if (gerund !== undefined) {
    word = gerund;
  } else {
    const reflexive = longest(word, lists.reflexive, rv);
    if (reflexive) word = word.slice(0, -reflexive.length);
    const adjective = longest(word, lists.adjective, rv);
    if (adjective) {
      word = word.slice(0, -adjective.length);
      const participle = removeGrouped(word, lists.participle1, lists.participle2, rv);
      if (participle !== undefined) word = participle;
    } else {
      const verb = removeGrouped(word, lists.verb1, lists.verb2, rv);
      if (verb !== undefined) word = verb;
      else {
        const noun = longest(word, lists.noun, rv);
        if (noun) word = word.slice(0, -noun.length);
      }
    }
  }

  // Step 2
  if (word.length - 1 >= rv && word.endsWith('и')) word = word.slice(0, -1);

  // Step 3: the derivational ending must lie in R2
  const derivational = longest(word, lists.derivational, Math.max(r2, rv));
  if (derivational) word = word.slice(0, -derivational.length);

  // Step 4
  if (word.length - 2 >= rv && word.endsWith('нн')) word = word.slice(0, -1);
  else {
    const superlative = longest(word, lists.superlative, rv);
    if (superlative) {
      word = word.slice(0, -superlative.length);
      if (word.length - 2 >= rv && word.endsWith('нн')) word = word.slice(0, -1);
    } else if (word.length - 1 >= rv && word.endsWith('ь')) word = word.slice(0, -1);
  }
  return word;
}
