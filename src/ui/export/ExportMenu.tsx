import { useState } from 'react';
import { errorMessage } from '../../core/errors.ts';
import { copyText, downloadBlob, downloadText } from './download.ts';
import { exportText, fileName, FORMATS, type ExportTarget, type FormatInfo } from './formats.ts';
import { svgToPng } from './png.ts';
import { diagramSvg } from './svg.ts';
import { layoutGeometry } from '../diagram/layoutService.ts';
import { buildDiagram } from '../diagram/graph.ts';
import './export.css';

/**
 * The export menu of a diagram: code (PyTorch, JAX, TensorFlow.js), the einsum string, the
 * LaTeX formula and the picture (SVG, PNG), each to download or, for text, to copy. The
 * target is computed when a format is picked, so an open menu costs nothing.
 */
export function ExportMenu({
  target,
  testId = 'export-menu',
}: {
  /** The diagram to export; throws when there is none (the message is shown). */
  target: () => ExportTarget;
  testId?: string;
}) {
  const [status, setStatus] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  const run = async (format: FormatInfo, action: 'download' | 'copy') => {
    setStatus(null);
    try {
      const base = target();
      // Pictures are drawn from the canvas's own layout (computed in the layout worker).
      const picture = format.id === 'png' || format.id === 'svg' || format.id === 'tikz';
      const t = picture
        ? {
            ...base,
            geometry: await layoutGeometry(base.network, buildDiagram(base.network), false),
          }
        : base;
      const name = fileName(t, format);
      if (format.id === 'png') {
        const { svg, width, height } = diagramSvg(t.network, {
          geometry: t.geometry,
          positions: t.positions,
          title: t.title,
        });
        downloadBlob(await svgToPng(svg, width, height), name);
        setStatus({ kind: 'info', text: `Saved ${name}` });
        return;
      }
      const text = exportText(format.id, t);
      if (action === 'download') {
        downloadText(text, name, format.mime);
        setStatus({ kind: 'info', text: `Saved ${name}` });
      } else if (await copyText(text)) {
        setStatus({ kind: 'info', text: `Copied the ${format.label}` });
      } else {
        setStatus({
          kind: 'error',
          text: 'The clipboard is not available here: use Download instead.',
        });
      }
    } catch (err) {
      setStatus({ kind: 'error', text: `${format.label}: ${errorMessage(err)}` });
    }
  };

  return (
    <details className="export-menu" data-testid={testId}>
      <summary>Export</summary>
      <div className="export-list" role="menu">
        {FORMATS.map((f) => (
          <div className="export-row" key={f.id} role="none">
            <span className="export-label">{f.label}</span>
            <button
              type="button"
              role="menuitem"
              data-testid={`export-${f.id}`}
              onClick={() => void run(f, 'download')}
              title={`Download the ${f.label}`}
            >
              Download
            </button>
            {f.text && (
              <button
                type="button"
                role="menuitem"
                data-testid={`copy-${f.id}`}
                onClick={() => void run(f, 'copy')}
                title={`Copy the ${f.label}`}
              >
                Copy
              </button>
            )}
          </div>
        ))}
        {status && (
          <p
            className={status.kind === 'error' ? 'export-error' : 'export-info'}
            data-testid={status.kind === 'error' ? 'error' : 'export-status'}
            role={status.kind === 'error' ? 'alert' : 'status'}
          >
            {status.text}
          </p>
        )}
      </div>
    </details>
  );
}
