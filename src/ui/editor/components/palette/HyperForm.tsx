import { FIELDS, fieldsFor, type FieldName } from '../../model/form.ts';
import { editField, useEditor } from '../../store/editorStore.ts';
import { getPreset } from '../../../../core/diagram/presets.ts';

/** One field; an invalid value stays in it with the library's message beside it. */
function Field({ name }: { name: FieldName }) {
  const value = useEditor((s) => s.form.values[name]);
  const error = useEditor((s) => s.form.errors[name]);
  const spec = FIELDS.find((f) => f.name === name)!;
  const id = `field-${name}`;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{spec.label}</label>
      {name === 'dims' ? (
        <select
          id={id}
          data-testid={id}
          value={value}
          onChange={(e) => editField(name, e.target.value)}
          title={spec.help}
        >
          <option value="1">1</option>
          <option value="2">2</option>
          <option value="3">3</option>
        </select>
      ) : (
        <input
          id={id}
          data-testid={id}
          value={value}
          title={spec.help}
          aria-invalid={error ? true : undefined}
          spellCheck={false}
          onChange={(e) => editField(name, e.target.value)}
        />
      )}
      {error && (
        <div className="field-error" data-testid="error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** The preset's hyper-parameters; every valid change rebuilds the diagram at once. */
export function HyperForm() {
  const presetId = useEditor((s) => s.form.presetId);
  const fromPreset = useEditor((s) => s.doc.diagram.source.kind === 'preset');
  const preset = getPreset(presetId);
  if (!preset) return null;
  if (!fromPreset) {
    // A drawn or loaded network has no layer behind it: preset fields would show values
    // that are not its own, and editing one would throw the drawing away.
    return (
      <section className="panel hyper-form" aria-label="Hyper-parameters">
        <h2>Hyper-parameters</h2>
        <p className="muted small" data-testid="hyper-drawn">
          This network is drawn or loaded: its sizes live on its indices and each Π keeps its own I,
          K, S, P, D (select a tensor or an edge to edit them). Picking a preset starts over from
          its hyper-parameters.
        </p>
      </section>
    );
  }
  return (
    <section className="panel hyper-form" aria-label="Hyper-parameters">
      <h2>Hyper-parameters</h2>
      <div className="fields">
        {fieldsFor(preset.op).map((name) => (
          <Field key={name} name={name} />
        ))}
      </div>
    </section>
  );
}
