// The one script of the desk: the permalink's Copy button. Everything else works without it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById("copy-status");
  const done = (text) => { if (status) status.textContent = text; };
  field.select();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(field.value).then(() => done("Copied."), () => done("Selected: press Ctrl+C to copy."));
  } else {
    done("Selected: press Ctrl+C to copy.");
  }
});
