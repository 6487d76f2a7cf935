import type { StickyColor, TemplateEdge, TemplateNode, TemplateStage } from '../model/records';

// The built-in templates: the session formats of the domain brief, in Russian (they are
// board content, not UI). The picker names them through i18n by `builtinId`.

export const builtinTemplateIds = ['problem-tree', 'swot', 'stakeholders', 'future-district', 'idea-decision'] as const;
export type BuiltinTemplateId = (typeof builtinTemplateIds)[number];

export interface BuiltinTemplate {
  builtinId: BuiltinTemplateId;
  title: string;
  description: string;
  nodes: TemplateNode[];
  edges: TemplateEdge[];
  agenda: TemplateStage[];
}

/** Frame geometry shared by every template: a title band on top, then a prompt, then stickies. */
export const FRAME_TITLE_BAND = 56;
const PADDING = 24;
const PROMPT_HEIGHT = 64;
const STICKY = { width: 180, height: 140 };
const GAP = 16;

interface FrameSpec {
  title: string;
  prompt: string;
  examples?: string[];
  color?: StickyColor;
  x: number;
  y: number;
  width: number;
  height: number;
}

class TemplateBuilder {
  readonly nodes: TemplateNode[] = [];
  readonly edges: TemplateEdge[] = [];

  text(x: number, y: number, width: number, height: number, text: string): number {
    this.nodes.push({ type: 'text', x, y, width, height, text, color: 'gray' });
    return this.nodes.length - 1;
  }

  /** A frame with its prompt and example stickies laid out in rows inside it; returns the frame's index. */
  frame(spec: FrameSpec): number {
    this.nodes.push({ type: 'frame', x: spec.x, y: spec.y, width: spec.width, height: spec.height, text: spec.title, color: 'gray' });
    const frameIndex = this.nodes.length - 1;
    const inner = spec.width - 2 * PADDING;
    this.text(spec.x + PADDING, spec.y + FRAME_TITLE_BAND, inner, PROMPT_HEIGHT, spec.prompt);
    const perRow = Math.max(1, Math.floor((inner + GAP) / (STICKY.width + GAP)));
    (spec.examples ?? []).forEach((text, i) => {
      this.nodes.push({
        type: 'sticky',
        x: spec.x + PADDING + (i % perRow) * (STICKY.width + GAP),
        y: spec.y + FRAME_TITLE_BAND + PROMPT_HEIGHT + GAP + Math.floor(i / perRow) * (STICKY.height + GAP),
        ...STICKY,
        text,
        color: spec.color ?? 'yellow',
      });
    });
    return frameIndex;
  }

  arrow(from: number, to: number, label?: string): void {
    this.edges.push(label ? { from, to, label } : { from, to });
  }
}

function problemTree(): BuiltinTemplate {
  const b = new TemplateBuilder();
  const width = 1200;
  b.text(0, 0, width, 48, 'Дерево проблем: от причин через проблему к последствиям');
  const consequences = b.frame({
    title: 'Последствия',
    prompt: 'К чему приводит проблема? Кто и как от неё страдает? Одно последствие — один стикер.',
    examples: ['Пример: молодые семьи уезжают в город'],
    color: 'orange',
    x: 0,
    y: 72,
    width,
    height: 400,
  });
  const problem = b.frame({
    title: 'Центральная проблема',
    prompt: 'Сформулируйте проблему как негативное состояние, которое можно изменить.',
    examples: ['Пример: в посёлке негде заниматься детям после школы'],
    color: 'pink',
    x: 0,
    y: 520,
    width,
    height: 320,
  });
  const causes = b.frame({
    title: 'Причины',
    prompt: 'Почему проблема возникла? Спрашивайте «почему?» несколько раз, пока не дойдёте до корня.',
    examples: ['Пример: клуб закрыт с 2019 года', 'Пример: нет автобуса в райцентр вечером'],
    color: 'yellow',
    x: 0,
    y: 888,
    width,
    height: 400,
  });
  b.arrow(causes, problem, 'вызывают');
  b.arrow(problem, consequences, 'приводит к');
  return {
    builtinId: 'problem-tree',
    title: 'Дерево проблем',
    description: 'Проблема, её причины и последствия.',
    nodes: b.nodes,
    edges: b.edges,
    agenda: [
      { title: 'Проблема', minutes: 10 },
      { title: 'Причины', minutes: 20 },
      { title: 'Последствия', minutes: 15 },
      { title: 'Голосование', minutes: 10 },
    ],
  };
}

function swot(): BuiltinTemplate {
  const b = new TemplateBuilder();
  const size = { width: 600, height: 460 };
  b.text(0, 0, 2 * size.width + 48, 48, 'SWOT-анализ территории: внутренние факторы сверху, внешние снизу');
  b.frame({
    title: 'Сильные стороны (S)',
    prompt: 'Что у территории получается лучше, чем у соседей? На что можно опереться?',
    examples: ['Пример: активные старосты в сёлах'],
    color: 'green',
    x: 0,
    y: 72,
    ...size,
  });
  b.frame({
    title: 'Слабые стороны (W)',
    prompt: 'Чего не хватает? Что мешает развитию изнутри?',
    examples: ['Пример: изношенные сети ЖКХ'],
    color: 'pink',
    x: size.width + 48,
    y: 72,
    ...size,
  });
  b.frame({
    title: 'Возможности (O)',
    prompt: 'Какие внешние программы, тренды и партнёры могут помочь?',
    examples: ['Пример: инициативное бюджетирование'],
    color: 'blue',
    x: 0,
    y: 72 + size.height + 48,
    ...size,
  });
  b.frame({
    title: 'Угрозы (T)',
    prompt: 'Какие внешние события и тенденции могут навредить?',
    examples: ['Пример: отток молодёжи в областной центр'],
    color: 'orange',
    x: size.width + 48,
    y: 72 + size.height + 48,
    ...size,
  });
  return {
    builtinId: 'swot',
    title: 'SWOT-анализ',
    description: 'Сильные и слабые стороны, возможности и угрозы.',
    nodes: b.nodes,
    edges: b.edges,
    agenda: [
      { title: 'Сильные и слабые стороны', minutes: 20 },
      { title: 'Возможности и угрозы', minutes: 20 },
      { title: 'Голосование', minutes: 10 },
    ],
  };
}

function stakeholders(): BuiltinTemplate {
  const b = new TemplateBuilder();
  const size = { width: 600, height: 520 };
  b.text(0, 0, 3 * size.width + 2 * 48, 48, 'Карта заинтересованных сторон: кого касается проект и кто может помочь');
  const prompt = 'Кто именно? Чего они ждут? Чем могут помочь или помешать? Как их вовлечь?';
  b.frame({ title: 'Жители', prompt, examples: ['Пример: родители школьников'], color: 'yellow', x: 0, y: 72, ...size });
  b.frame({ title: 'Бизнес', prompt, examples: ['Пример: местный застройщик'], color: 'blue', x: size.width + 48, y: 72, ...size });
  b.frame({
    title: 'Органы местного самоуправления',
    prompt,
    examples: ['Пример: администрация поселения'],
    color: 'violet',
    x: 2 * (size.width + 48),
    y: 72,
    ...size,
  });
  return {
    builtinId: 'stakeholders',
    title: 'Карта заинтересованных сторон',
    description: 'Жители, бизнес и органы местного самоуправления.',
    nodes: b.nodes,
    edges: b.edges,
    agenda: [
      { title: 'Кто заинтересован', minutes: 15 },
      { title: 'Ожидания и вклад', minutes: 20 },
      { title: 'Как вовлечь', minutes: 15 },
    ],
  };
}

function futureDistrict(): BuiltinTemplate {
  const b = new TemplateBuilder();
  const size = { width: 560, height: 420 };
  const column = (i: number) => i * (size.width + 48);
  b.text(0, 0, 3 * size.width + 2 * 48, 48, '«Будущее моего района»: паспорт проектной идеи для защиты перед жителями и руководством');
  const frames: Array<Omit<FrameSpec, 'x' | 'y' | 'width' | 'height'>> = [
    { title: 'Проблема района', prompt: 'Что не устраивает жителей? Какие факты и цифры это подтверждают?', examples: ['Пример: во дворах нет освещения'], color: 'pink' },
    { title: 'Идея проекта', prompt: 'Что вы предлагаете сделать? Опишите в одном предложении.', examples: ['Пример: «Светлый двор» — фонари на солнечных батареях'], color: 'yellow' },
    { title: 'Для кого', prompt: 'Кто получит пользу? Сколько человек?', color: 'teal' },
    { title: 'Команда и партнёры', prompt: 'Кто будет делать? Кто поможет: школа, бизнес, администрация, ТОС?', color: 'blue' },
    { title: 'Ресурсы и бюджет', prompt: 'Что нужно и сколько стоит? Какие источники: муниципальный бюджет, спонсоры, вклад жителей?', color: 'orange' },
    { title: 'Результат через год', prompt: 'Что изменится? Как это измерить (показатель: было → станет)?', color: 'green' },
  ];
  frames.forEach((spec, i) => b.frame({ ...spec, x: column(i % 3), y: 72 + Math.floor(i / 3) * (size.height + 48), ...size }));
  return {
    builtinId: 'future-district',
    title: 'Будущее моего района',
    description: 'Проектная идея: проблема, решение, команда, ресурсы, результат.',
    nodes: b.nodes,
    edges: b.edges,
    agenda: [
      { title: 'Проблема и идея', minutes: 20 },
      { title: 'Команда и ресурсы', minutes: 20 },
      { title: 'Результат', minutes: 10 },
      { title: 'Защита проектов', minutes: 30 },
      { title: 'Голосование', minutes: 10 },
    ],
  };
}

function ideaDecision(): BuiltinTemplate {
  const b = new TemplateBuilder();
  const size = { width: 600, height: 640 };
  b.text(0, 0, 3 * size.width + 2 * 120, 48, 'Идея → критерии → решение: выбираем, что делать в первую очередь');
  const ideas = b.frame({
    title: 'Идеи',
    prompt: 'Все идеи без критики. Одна идея — один стикер.',
    examples: ['Пример: спортплощадка у школы'],
    color: 'yellow',
    x: 0,
    y: 72,
    ...size,
  });
  const criteria = b.frame({
    title: 'Критерии',
    prompt: 'По чему будем сравнивать идеи? Договоритесь о 3–5 критериях.',
    examples: ['Польза для жителей', 'Стоимость', 'Сроки реализации', 'Есть ли кому делать'],
    color: 'blue',
    x: size.width + 120,
    y: 72,
    ...size,
  });
  const decision = b.frame({
    title: 'Решение',
    prompt: 'Идеи-победители после голосования: что делаем, кто отвечает, к какому сроку.',
    color: 'green',
    x: 2 * (size.width + 120),
    y: 72,
    ...size,
  });
  b.arrow(ideas, criteria, 'оцениваем');
  b.arrow(criteria, decision, 'выбираем');
  return {
    builtinId: 'idea-decision',
    title: 'Идея → критерии → решение',
    description: 'Сбор идей, критерии отбора и решение.',
    nodes: b.nodes,
    edges: b.edges,
    agenda: [
      { title: 'Идеи', minutes: 20 },
      { title: 'Критерии', minutes: 10 },
      { title: 'Голосование', minutes: 10 },
      { title: 'Решение', minutes: 15 },
    ],
  };
}

export const builtinTemplates: readonly BuiltinTemplate[] = [problemTree(), swot(), stakeholders(), futureDistrict(), ideaDecision()];

export function builtinTemplate(id: BuiltinTemplateId): BuiltinTemplate {
  const template = builtinTemplates.find((candidate) => candidate.builtinId === id);
  if (!template) throw new Error(`No built-in template ${id}`);
  return template;
}
