import { useEffect, useState } from 'react';

/** How long each frame of a played derivation stays (the move itself takes TRANSITION_MS). */
export const PLAY_STEP_MS = 1000;

interface PlaybackState {
  owner: unknown;
  /** The frame shown; undefined: the live diagram (the last frame). */
  at?: number;
  count: number;
  playing: boolean;
}

export interface Playback {
  at: number | undefined;
  playing: boolean;
  /** Shows frame `at` of `count` (the last one, or past it, is the live diagram). */
  go: (at: number, count: number) => void;
  /** Plays all `count` frames from the first, one every PLAY_STEP_MS, then the live diagram. */
  play: (count: number) => void;
  pause: () => void;
  resume: () => void;
}

/**
 * Stepping through and playing the frames of a derivation. The frames belong to `owner`
 * (e.g. the cell they were made from): a new owner shows the live diagram again, so an
 * edit ends a replay. Only which frame is shown lives here; the caller draws it, and the
 * canvas animates each change of frame (useDiagramTransition).
 */
export function usePlayback(owner: unknown): Playback {
  const [state, setState] = useState<PlaybackState>({ owner, count: 0, playing: false });
  const mine = state.owner === owner;
  const at = mine ? state.at : undefined;
  const playing = mine && state.playing && at !== undefined;
  useEffect(() => {
    if (!playing) return;
    const timer = setTimeout(
      () =>
        setState((s) => {
          if (s.owner !== owner || s.at === undefined) return s;
          const next = s.at + 1;
          return next >= s.count - 1 ? { ...s, at: undefined, playing: false } : { ...s, at: next };
        }),
      PLAY_STEP_MS,
    );
    return () => clearTimeout(timer);
  }, [playing, at, owner]);
  return {
    at,
    playing,
    go: (to, count) =>
      setState({
        owner,
        at: to >= count - 1 ? undefined : Math.max(0, to),
        count,
        playing: false,
      }),
    play: (count) => setState({ owner, at: 0, count, playing: count > 1 }),
    pause: () => setState((s) => ({ ...s, playing: false })),
    resume: () => setState((s) => (s.owner === owner ? { ...s, playing: true } : s)),
  };
}
