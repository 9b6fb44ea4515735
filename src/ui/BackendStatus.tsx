import { useBackend } from './useBackend.ts';

/** Status line: the active tfjs backend (data-testid="backend") and any fallback reason. */
export function BackendStatus() {
  const backend = useBackend();
  if (!backend) {
    return <p className="status">Backend: starting…</p>;
  }
  return (
    <p className="status">
      Backend: <strong data-testid="backend">{backend.name}</strong>
      {backend.fallbackReason && (
        <span className="status-reason" data-testid="backend-reason">
          {' '}
          (fallback: {backend.fallbackReason})
        </span>
      )}
    </p>
  );
}
