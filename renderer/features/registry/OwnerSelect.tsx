import { useState } from 'react';
import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Id } from '../../../shared/ids';
import type { Person, WorkspaceIndex } from '../../../shared/model';

const NEW_PREFIX = 'new:';

/** Picks a person from the workspace's people, or adds one by the typed name. */
export function OwnerSelect(props: {
  index: WorkspaceIndex;
  people: Person[];
  value: Id | null;
  onChange: (id: Id | null) => void;
  label?: string;
  placeholder?: string;
  testId?: string;
  size?: 'xs' | 'sm';
  w?: number;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const typed = search.trim();
  const exists = props.people.some((person) => person.name.toLowerCase() === typed.toLowerCase());
  const data = props.people
    .map((person) => ({ value: person.id, label: person.name }))
    .sort((a, b) => a.label.localeCompare(b.label, 'ru'));
  if (typed && !exists) data.push({ value: `${NEW_PREFIX}${typed}`, label: t('registry.card.newOwner', { name: typed }) });
  return (
    <Select
      label={props.label}
      placeholder={props.placeholder}
      aria-label={props.label ?? props.placeholder}
      data={data}
      value={props.value}
      searchable
      clearable
      size={props.size}
      w={props.w}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={null}
      onChange={(value) => {
        if (value?.startsWith(NEW_PREFIX)) {
          const person = props.index.people.create({ name: value.slice(NEW_PREFIX.length).slice(0, 500) });
          props.onChange(person.id);
        } else props.onChange(value);
      }}
      data-testid={props.testId}
    />
  );
}
