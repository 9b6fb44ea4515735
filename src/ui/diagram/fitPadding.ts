import type { FitViewOptions } from '@xyflow/react';

type Padding = NonNullable<FitViewOptions['padding']>;

/**
 * Margins a fitted diagram keeps from the canvas border. The left one clears the zoom
 * controls, which float over the bottom-left corner: a tensor fitted under them is hidden.
 */
export const FIT_PADDING: Padding = { top: '4%', right: '3%', bottom: '4%', left: '56px' };
