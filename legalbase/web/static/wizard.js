// The drafting wizard's membership rows: add and remove rows in place. Without this script the
// form still works (one empty row; the officer saves and adds more after a preview).
document.querySelectorAll("fieldset.baris").forEach(function (fieldset) {
  var body = fieldset.querySelector("tbody");
  var next = body.rows.length;
  fieldset.querySelector(".tambah-baris").addEventListener("click", function () {
    var row = body.rows[body.rows.length - 1].cloneNode(true);
    row.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(/-\d+-/, "-" + next + "-");
      input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+$/, next + 1));
      input.value = "";
    });
    next += 1;
    body.appendChild(row);
    row.querySelector("input").focus();
  });
  body.addEventListener("click", function (event) {
    if (event.target.classList.contains("hapus-baris") && body.rows.length > 1) {
      event.target.closest("tr").remove();
    }
  });
});
