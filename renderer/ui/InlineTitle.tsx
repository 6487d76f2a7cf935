import { useState } from 'react';
import { TextInput, UnstyledButton, type MantineSize } from '@mantine/core';

/** A title that turns into an input on double-click; Enter or blur saves, Esc cancels. */
export function InlineTitle(props: {
  value: string;
  label: string;
  onRename: (title: string) => void;
  size?: MantineSize;
  testId?: string;
  children: React.ReactNode;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  if (draft === null) {
    return (
      <UnstyledButton
        component="span"
        onDoubleClick={() => setDraft(props.value)}
        onKeyDown={(event) => event.key === 'F2' && setDraft(props.value)}
        title={props.label}
        style={{ minWidth: 0 }}
        data-testid={props.testId}
      >
        {props.children}
      </UnstyledButton>
    );
  }
  const save = () => {
    const title = draft.trim();
    setDraft(null);
    if (title && title !== props.value) props.onRename(title);
  };
  return (
    <TextInput
      autoFocus
      size={props.size ?? 'sm'}
      aria-label={props.label}
      value={draft}
      maxLength={200}
      onChange={(event) => setDraft(event.currentTarget.value)}
      onBlur={save}
      onKeyDown={(event) => {
        if (event.key === 'Enter') save();
        if (event.key === 'Escape') setDraft(null);
      }}
      data-testid={props.testId ? `${props.testId}-input` : undefined}
    />
  );
}
