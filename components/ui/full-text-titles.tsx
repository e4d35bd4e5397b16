"use client";

import { useEffect, useRef, type ReactNode, type RefObject } from "react";

/**
 * Gives each text that may be cut with an ellipsis (.ellipsis, .address) inside `ref` its full text
 * as its tooltip (`title`), in the browser, as rows come and go: a tooltip is for the pointer, so
 * the HTML does not carry a second copy of every address and name of every row.
 */
export function useFullTextTitles(ref: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const setTitles = () => {
      for (const element of root.querySelectorAll<HTMLElement>(".ellipsis, .address")) {
        const text = element.textContent ?? "";
        if (element.title !== text) element.title = text;
      }
    };
    setTitles();
    // Attributes are not observed, so setting a title does not call this again.
    const observer = new MutationObserver(setTitles);
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [ref]);
}

/** A block whose cut texts get their tooltips in the browser (see useFullTextTitles): the frame of a Table. */
export function FullTextTitles({ className, children }: { className: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useFullTextTitles(ref);
  return (
    <div ref={ref} className={className}>
      {children}
    </div>
  );
}
