import { useState, type KeyboardEvent } from 'react';

/**
 * A text field that applies its value on Enter or when it loses focus (Escape reverts).
 * Give it `key={value}` so a change from elsewhere (undo, another edit) resets the draft.
 */
export function CommitInput({
  value,
  onCommit,
  label,
  testId,
  className,
  size,
}: {
  value: string;
  onCommit: (value: string) => void;
  label: string;
  testId?: string;
  className?: string;
  size?: number;
}) {
  const [draft, setDraft] = useState(value);
  const apply = () => {
    if (draft !== value) onCommit(draft);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') apply();
    if (e.key === 'Escape') setDraft(value);
  };
  return (
    <input
      className={className}
      value={draft}
      size={size}
      aria-label={label}
      title={label}
      data-testid={testId}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={apply}
      onKeyDown={onKeyDown}
    />
  );
}
