import { stemRussian } from './russian-stemmer';

// Function words, plus the formulae every appeal repeats («прошу принять меры»,
// «уважаемая администрация»): they say nothing about which problem it is.
const stopWordList = `
а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до его ее ей ему если есть еще ж же за здесь и из или им их к как ко когда кто ли либо мне может мы на над надо наш не него нее нет ни них но ну о об однако он она они оно от очень по под при с со так также такой там те тем то того тоже той только том ты у уже хотя чего чей чем что чтобы чье чья эта эти это я
мой моя мое мои наша наше наши ваш ваша ваше ваши свой своя свое свои который которая которое которые этот этого этой этом эту тот та тех том
прошу просим просьба пожалуйста уважаемый уважаемая уважаемые администрация администрации обращаюсь обращаемся обращение помогите помочь принять меры мера разобраться
здравствуйте добрый день спасибо заранее вопрос ситуация проблема проблемы жители житель жителей нас наш нам
уже снова опять вообще просто ещё сколько можно ждать раз месяц год года лет неделю дня дней
ул улица улице улицу улицы пр проспект пер переулок
`;

export const russianStopWords: ReadonlySet<string> = new Set(stopWordList.split(/\s+/).filter(Boolean).map((w) => w.replace(/ё/g, 'е')));

/** Lowercase words of letters and digits, «ё» → «е». */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^0-9a-zа-я]+/)
    .filter(Boolean);
}

/**
 * Stems of the words that carry meaning: stop words, one-letter words and long numbers
 * (house numbers and phone numbers identify an address, not a problem) left out.
 * `stemCache` keeps word → stem across a whole run (the vocabulary is far smaller than the text).
 */
export function contentStems(text: string, stemCache: Map<string, string>, surfaces?: Map<string, Map<string, number>>): string[] {
  const stems: string[] = [];
  for (const word of words(text)) {
    if (word.length < 2 || russianStopWords.has(word)) continue;
    if (/^\d+$/.test(word) && word.length > 3) continue;
    let stem = stemCache.get(word);
    if (stem === undefined) {
      stem = /^[а-я]+$/.test(word) ? stemRussian(word) : word;
      stemCache.set(word, stem);
    }
    if (stem.length < 2 || russianStopWords.has(stem)) continue;
    stems.push(stem);
    if (surfaces) {
      let forms = surfaces.get(stem);
      if (!forms) surfaces.set(stem, (forms = new Map()));
      forms.set(word, (forms.get(word) ?? 0) + 1);
    }
  }
  return stems;
}
