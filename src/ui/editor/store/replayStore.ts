import { create } from 'zustand';
import type { Sketch } from '../../../core/diagram/sketch.ts';
import { replayFrames, type ReplayFrame } from '../model/replay.ts';
import { useEditor } from './editorStore.ts';

/**
 * Playing a derivation back on the canvas, one frame a second. The replay belongs to the
 * document it was started on: the canvas shows it only while that document is current, so
 * any edit ends it, and the document and its undo history are never touched.
 */
export const REPLAY_STEP_MS = 1000;

export interface ReplayState {
  doc?: Sketch;
  frames: ReplayFrame[];
  at: number;
  playing: boolean;
}

const IDLE: ReplayState = { doc: undefined, frames: [], at: 0, playing: false };

export const useReplay = create<ReplayState>()(() => IDLE);

let timer: ReturnType<typeof setTimeout> | undefined;

function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(advance, REPLAY_STEP_MS);
}

function advance(): void {
  const s = useReplay.getState();
  if (!s.doc || s.doc !== useEditor.getState().doc) return stopReplay();
  // The last frame is the state on screen before playing; after it the live canvas returns.
  if (s.at + 1 >= s.frames.length) return stopReplay();
  useReplay.setState({ at: s.at + 1 });
  schedule();
}

/** Plays the current derivation from its start; false when there is nothing to play. */
export function playDerivation(): boolean {
  const doc = useEditor.getState().doc;
  const frames = replayFrames(doc);
  if (frames.length < 2) return false;
  useReplay.setState({ doc, frames, at: 0, playing: true });
  schedule();
  return true;
}

export function pauseReplay(): void {
  clearTimeout(timer);
  useReplay.setState({ playing: false });
}

export function resumeReplay(): void {
  if (!useReplay.getState().doc) return;
  useReplay.setState({ playing: true });
  schedule();
}

export function stopReplay(): void {
  clearTimeout(timer);
  useReplay.setState(IDLE, true);
}
