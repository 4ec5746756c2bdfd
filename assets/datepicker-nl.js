// dcc.DatePickerSingle names its calendar buttons in English; the dashboard speaks Dutch, to
// screen readers too. The calendar is built when the picker opens, so relabel it then.
(function () {
    var DUTCH = {
        "Previous month": "Vorige maand",
        "Next month": "Volgende maand",
        "Decrease value": "Vorig jaar",
        "Increase value": "Volgend jaar",
        "Clear date": "Datum wissen",
        "Close calendar": "Kalender sluiten",
    };

    function relabel(picker) {
        picker.querySelectorAll("[aria-label]").forEach(function (el) {
            var dutch = DUTCH[el.getAttribute("aria-label")];
            if (dutch) {
                el.setAttribute("aria-label", dutch);
            }
        });
    }

    function soon(event) {
        var picker = event.target.closest && event.target.closest(".dash-datepicker");
        if (picker) {
            requestAnimationFrame(function () {
                relabel(picker);
            });
        }
    }

    ["click", "focusin", "keydown"].forEach(function (type) {
        document.addEventListener(type, soon, true);
    });
})();
