import { useState } from 'react';

/**
 * A value shown in a modal, kept until the modal has closed so that it does not empty itself while fading out:
 * `show` opens it, `close` starts closing it, `clear` (the modal's onExitTransitionEnd) lets the value go.
 */
export function useShownUntilClosed<T>() {
  const [value, setValue] = useState<T | null>(null);
  const [opened, setOpened] = useState(false);
  return {
    value,
    opened,
    show: (next: T) => {
      setValue(next);
      setOpened(true);
    },
    close: () => setOpened(false),
    clear: () => setValue(null),
  };
}
