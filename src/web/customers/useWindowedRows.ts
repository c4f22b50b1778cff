import { type RefObject, useLayoutEffect, useMemo, useState } from 'react';

/** Rows of a known height each, for a list that scrolls with the page. */
export interface WindowedRows {
  /** The first row to render, and one past the last. */
  start: number;
  end: number;
  /** Heights of the space for the rows not rendered, above and below. */
  before: number;
  after: number;
}

// Rows kept rendered beyond each edge of the window: a fast flick does not scroll into blank space.
const OVERSCAN_PX = 900;
// Before the first measurement: enough rows to fill a tall screen.
const INITIAL_ROWS = 40;

/** The first index whose offset is above `target`: offsets are the running sums of the heights. */
function firstAbove(offsets: number[], target: number): number {
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((offsets[middle] ?? 0) > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Which rows of a long list are near the window, so that only they are in the page: a list of thousands of
 * customers scrolls as lightly as one of fifty. `heights` are the rows' fixed heights in pixels; `anchor` is the
 * element the rows start at (the table body). The page scrolls, not the list: the browser's own scroll bar,
 * keys and Back keep working.
 */
export function useWindowedRows(heights: number[], anchor: RefObject<HTMLElement | null>): WindowedRows {
  const offsets = useMemo(() => {
    const sums = new Array<number>(heights.length + 1);
    sums[0] = 0;
    for (let index = 0; index < heights.length; index++) sums[index + 1] = (sums[index] ?? 0) + (heights[index] ?? 0);
    return sums;
  }, [heights]);
  const [range, setRange] = useState({ start: 0, end: Math.min(heights.length, INITIAL_ROWS) });

  useLayoutEffect(() => {
    const count = offsets.length - 1;
    function measure() {
      const element = anchor.current;
      if (!element) return;
      const top = element.getBoundingClientRect().top;
      const windowTop = -top - OVERSCAN_PX;
      const windowBottom = -top + window.innerHeight + OVERSCAN_PX;
      const start = Math.max(0, firstAbove(offsets, windowTop) - 1);
      const end = Math.min(count, Math.max(start, firstAbove(offsets, windowBottom)));
      setRange((current) => (current.start === start && current.end === end ? current : { start, end }));
    }
    measure();
    let frame = 0;
    const schedule = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          measure();
        });
    };
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      cancelAnimationFrame(frame);
    };
  }, [offsets, anchor]);

  const count = offsets.length - 1;
  const start = Math.min(range.start, count);
  const end = Math.min(Math.max(range.end, start), count);
  return {
    start,
    end,
    before: offsets[start] ?? 0,
    after: (offsets[count] ?? 0) - (offsets[end] ?? 0),
  };
}
