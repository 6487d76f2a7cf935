import { useMemo, useState } from 'react';
import { ActionIcon, Group, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import { searchNodes, type BoardNode } from '../../../shared/model';
import { CloseIcon } from '../../ui/icons';
import { useBoardUi } from './board-context';
import { ChevronDownIcon, ChevronUpIcon, SearchIcon } from './canvas-icons';

/** Search on the board (Ctrl+F): Enter jumps to the next match and selects it. */
export function BoardSearch(props: { records: () => BoardNode[]; onJump: (id: Id) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const { index } = useBoardUi();
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(-1);
  const { records } = props;
  const matches = useMemo(() => {
    // Reference cards are found by the title of the record they show.
    const referenced = (node: BoardNode) => {
      if (!index || !node.ref) return '';
      return (node.ref.kind === 'problem' ? index.problems.get(node.ref.id) : index.projects.get(node.ref.id))?.title ?? '';
    };
    return searchNodes(records(), query, referenced);
  }, [records, query, index]);

  const go = (step: number) => {
    if (matches.length === 0) return;
    const next = (current + step + matches.length) % matches.length;
    setCurrent(next);
    props.onJump(matches[next]!.id);
  };

  return (
    <Group gap={4} className="board-toolbar board-search" wrap="nowrap">
      <TextInput
        autoFocus
        size="sm"
        w={240}
        leftSection={<SearchIcon />}
        placeholder={t('canvas.search.placeholder')}
        aria-label={t('canvas.search.placeholder')}
        value={query}
        data-testid="board-search-input"
        onChange={(event) => {
          setQuery(event.currentTarget.value);
          setCurrent(-1);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            go(event.shiftKey ? -1 : 1);
          } else if (event.key === 'Escape') {
            event.preventDefault();
            props.onClose();
          }
        }}
      />
      <Text size="sm" c="dimmed" miw={70} ta="center" data-testid="board-search-count">
        {query.trim() ? (matches.length ? t('canvas.search.count', { current: Math.max(current + 1, 0), total: matches.length }) : t('canvas.search.nothing')) : ''}
      </Text>
      <ActionIcon variant="subtle" color="gray" aria-label={t('canvas.search.previous')} onClick={() => go(-1)} disabled={matches.length === 0}>
        <ChevronUpIcon />
      </ActionIcon>
      <ActionIcon variant="subtle" color="gray" aria-label={t('canvas.search.next')} onClick={() => go(1)} disabled={matches.length === 0} data-testid="board-search-next">
        <ChevronDownIcon />
      </ActionIcon>
      <ActionIcon variant="subtle" color="gray" aria-label={t('canvas.search.close')} onClick={props.onClose}>
        <CloseIcon />
      </ActionIcon>
    </Group>
  );
}
