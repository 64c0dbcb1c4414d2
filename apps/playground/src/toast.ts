/**
 * One toast at a time: a message with an optional action (Undo), gone after
 * a while or when dismissed. It is a polite status region, so a screen
 * reader hears the message once.
 */
const TOAST_MS = 12_000;

export class Toast {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #action: (() => void) | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly text: HTMLElement,
    private readonly actionButton: HTMLButtonElement,
    close: HTMLButtonElement,
  ) {
    actionButton.addEventListener("click", () => {
      const action = this.#action;
      this.hide();
      action?.();
    });
    close.addEventListener("click", () => this.hide());
  }

  show(message: string, action?: { label: string; run: () => void }): void {
    clearTimeout(this.#timer);
    this.text.textContent = message;
    this.#action = action?.run;
    this.actionButton.hidden = action === undefined;
    this.actionButton.textContent = action?.label ?? "";
    this.root.hidden = false;
    this.#timer = setTimeout(() => this.hide(), TOAST_MS);
  }

  hide(): void {
    clearTimeout(this.#timer);
    this.#action = undefined;
    this.root.hidden = true;
  }
}
