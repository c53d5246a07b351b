// Handling workspace: fill the message to the reporter from the template of the chosen
// state. The server sends the template anyway when the box is left empty, so this only
// lets the handler see and edit the text first. Text the handler typed is never replaced.
(function () {
  "use strict";
  var select = document.getElementById("id_state-to_status");
  var message = document.getElementById("id_state-message");
  if (!select || !message) {
    return;
  }
  var filled = "";

  function fill() {
    var option = select.options[select.selectedIndex];
    var template = option ? option.getAttribute("data-template") || "" : "";
    if (message.value === "" || message.value === filled) {
      message.value = template;
      filled = template;
    }
  }

  select.addEventListener("change", fill);
  fill();
})();
