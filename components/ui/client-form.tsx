"use client";

import type { ComponentProps } from "react";

/**
 * A form the page submits itself: the browser's own submit is stopped and `onSubmit` is given the
 * form element (to read its fields, or to reset it after a success).
 */
export function ClientForm({
  onSubmit,
  ...props
}: Omit<ComponentProps<"form">, "onSubmit"> & { onSubmit: (form: HTMLFormElement) => unknown }) {
  return (
    <form
      {...props}
      onSubmit={(event) => {
        event.preventDefault();
        void onSubmit(event.currentTarget);
      }}
    />
  );
}
