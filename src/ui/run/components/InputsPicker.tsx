import { clearUploads, uploadInputs } from '../runActions.ts';
import { updateSettings, useRun } from '../runStore.ts';

/** Seeded random inputs, or the user's .npy / JSON files, for the shapes the network reads. */
export function InputsPicker({ shapes }: { shapes: Record<string, number[]> | { error: string } }) {
  const mode = useRun((s) => s.settings.inputMode);
  const seed = useRun((s) => s.settings.seed);
  const files = useRun((s) => s.uploads?.files);
  const uploadError = useRun((s) => s.uploadError);
  const running = useRun((s) => s.active !== undefined);
  return (
    <fieldset className="run-inputs" disabled={running}>
      <legend>inputs</legend>
      {'error' in shapes ? (
        <p className="field-error small">{shapes.error as string}</p>
      ) : (
        <ul className="run-shapes small" data-testid="run-input-shapes">
          {Object.entries(shapes as Record<string, number[]>).map(([name, shape]) => (
            <li key={name}>
              <code>{name}</code> [{shape.join(', ')}]
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <label className="run-check">
          <input
            type="radio"
            name="run-input-mode"
            checked={mode === 'seeded'}
            onChange={() => updateSettings({ inputMode: 'seeded' })}
          />
          random, seed
        </label>
        <input
          className="run-seed"
          type="number"
          aria-label="seed"
          data-testid="run-seed"
          value={seed}
          onChange={(e) =>
            Number.isInteger(Number(e.target.value)) &&
            updateSettings({ seed: Number(e.target.value) })
          }
        />
      </div>
      <div className="row">
        <label className="run-check">
          <input
            type="radio"
            name="run-input-mode"
            checked={mode === 'uploaded'}
            disabled={!files}
            onChange={() => updateSettings({ inputMode: 'uploaded' })}
          />
          uploaded
        </label>
        <input
          type="file"
          data-testid="run-upload"
          accept=".npy,.json"
          multiple
          title="x.npy, weight.npy … (float32/float64/int32, C order) or one .json {name: {shape, data}}"
          onChange={(e) => {
            const list = [...(e.target.files ?? [])];
            e.target.value = '';
            if (list.length) void uploadInputs(list);
          }}
        />
      </div>
      {files && (
        <p className="small muted" data-testid="run-uploaded">
          {files.join(', ')}{' '}
          <button type="button" onClick={clearUploads}>
            clear
          </button>
        </p>
      )}
      {uploadError && (
        <div className="field-error" data-testid="error" role="alert">
          {uploadError}
        </div>
      )}
    </fieldset>
  );
}
