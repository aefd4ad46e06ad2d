// Enhancements only: the page works the same without this file.

for (const button of document.querySelectorAll("[data-copy]")) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const input = document.querySelector(button.dataset.copy);
    await navigator.clipboard.writeText(input.value);
    const label = button.textContent;
    button.textContent = button.dataset.copied;
    setTimeout(() => { button.textContent = label; }, 2500);
  });
}

for (const button of document.querySelectorAll("[data-share-url]")) {
  if (!navigator.share) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl }).catch(() => {});
  });
}

// The counter follows new confirmations while the page stays open.
const counter = document.querySelector("[data-count-url]");
if (counter) {
  const progress = document.querySelector("progress");
  const refresh = async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(counter.dataset.countUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      counter.textContent = data.confirmed.toLocaleString(document.documentElement.lang);
      if (progress) progress.value = data.confirmed;
    } catch (error) {
      // Offline or server busy: keep the number shown.
    }
  };
  setInterval(refresh, 20000);
}

// After a failed submit, take keyboard and screen-reader users to the error summary. The
// form's action ends in #resultat, which the browser scrolls to once the page has loaded:
// focusing before that would be undone.
const errors = document.getElementById("form-errors");
if (errors) {
  if (document.readyState === "complete") errors.focus();
  else window.addEventListener("load", () => errors.focus());
}
