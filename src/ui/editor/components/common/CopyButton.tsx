import { useState } from 'react';

/** Copies text to the clipboard and says whether it worked. */
export function CopyButton({
  text,
  what,
  testId,
}: {
  text: string;
  what: string;
  testId?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch (_err) {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button
      type="button"
      className="copy-button"
      onClick={() => void copy()}
      title={`Copy ${what}`}
      data-testid={testId}
    >
      {state === 'copied' ? 'copied' : state === 'failed' ? 'copy failed' : 'copy'}
    </button>
  );
}
