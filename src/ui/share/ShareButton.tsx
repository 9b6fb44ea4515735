import { useState } from 'react';
import { errorMessage } from '../../core/errors.ts';
import { shareRoute } from '../../core/share/index.ts';
import { copyText } from '../export/download.ts';
import { absoluteUrl } from '../navigation/routing.ts';
import './share.css';

/**
 * Makes a share link (`#/s/<payload>`, the core's encoding) and copies it. The link is also
 * shown, selectable, because the clipboard may be unavailable (headless, no permission).
 */
export function ShareButton({
  payload,
  label = 'Share',
  title,
  testId = 'share',
}: {
  /** The payload of the link; throws when the work cannot be shared (the reason is shown). */
  payload: () => string;
  label?: string;
  title?: string;
  testId?: string;
}) {
  const [state, setState] = useState<
    { kind: 'link'; url: string; copied: boolean } | { kind: 'error'; text: string } | null
  >(null);

  const share = async () => {
    let url: string;
    try {
      url = absoluteUrl(shareRoute(payload()));
    } catch (err) {
      setState({ kind: 'error', text: `Cannot make a link: ${errorMessage(err)}` });
      return;
    }
    setState({ kind: 'link', url, copied: false });
    const copied = await copyText(url);
    setState({ kind: 'link', url, copied });
  };

  return (
    <span className="share">
      <button type="button" data-testid={testId} onClick={() => void share()} title={title}>
        {label}
      </button>
      {state?.kind === 'error' && (
        <span className="share-error" data-testid="error" role="alert">
          {state.text}
        </span>
      )}
      {state?.kind === 'link' && (
        <span className="share-popover" role="status">
          <input
            readOnly
            className="share-link"
            data-testid={`${testId}-link`}
            value={state.url}
            aria-label="Share link"
            onFocus={(e) => e.currentTarget.select()}
          />
          <span className="share-note">
            {state.copied ? 'Copied.' : 'Copy the link from the box.'} {state.url.length}{' '}
            characters.
          </span>
          <button type="button" className="link" aria-label="Close" onClick={() => setState(null)}>
            ×
          </button>
        </span>
      )}
    </span>
  );
}
