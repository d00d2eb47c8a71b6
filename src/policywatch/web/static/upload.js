// Upload with a progress bar; without JavaScript the form still posts normally.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const bar = document.getElementById("progress");
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) { bar.hidden = false; bar.value = Math.round(100 * e.loaded / e.total); }
    });
    request.addEventListener("load", () => {
      const page = new DOMParser().parseFromString(request.responseText, "text/html");
      const result = page.getElementById("result") || page.querySelector("main");
      document.getElementById("result").replaceChildren(...result.childNodes);
      bar.value = 100;
    });
    request.send(new FormData(form));
  });
});
