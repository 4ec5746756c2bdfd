// Screen-reader and keyboard repairs of Dash's own components, applied wherever one appears
// (so sections added later are covered too); tests/e2e/test_axe.py audits the result.
(function () {
    "use strict";

    // Set only what differs: every setAttribute is a mutation this script itself observes.
    function set(el, name, value) {
        if (el.getAttribute(name) !== value) {
            el.setAttribute(name, value);
        }
    }

    // dcc.Dropdown tabs to a hidden, aria-hidden input that forwards focus to its button: a
    // focusable element screen readers are told does not exist (axe: aria-hidden-focus). The
    // input is hidden in style.css and the button, which opens the list, takes the tab stop.
    function dropdown(button) {
        if (button.getAttribute("tabindex") === "-1" && !button.disabled) {
            set(button, "tabindex", "0");
        }
    }

    // dcc.DatePickerSingle puts popup attributes on a plain div (axe: aria-allowed-attr) and
    // names its input after the placeholder, which outranks the slicer's <label>. The input
    // becomes the combobox that opens the calendar dialog, named by its label.
    var MOVED = ["aria-haspopup", "aria-expanded", "aria-controls"];
    var DROPPED = ["aria-labelledby", "aria-disabled", "type"];

    function datepicker(wrapper) {
        var input = wrapper.querySelector("input.dash-datepicker-input");
        if (!input) {
            return;
        }
        MOVED.forEach(function (name) {
            if (wrapper.hasAttribute(name)) {
                set(input, name, wrapper.getAttribute(name));
                wrapper.removeAttribute(name);
            }
        });
        DROPPED.forEach(function (name) {
            wrapper.removeAttribute(name);
        });
        set(input, "role", "combobox");
        if (input.labels && input.labels.length) {
            input.removeAttribute("aria-label");
        }
    }

    // An open dropdown or calendar: a dialog (and a listbox) without a name (axe:
    // aria-dialog-name, aria-input-field-name) takes the name of the control that opened it;
    // the calendar's year field gets one of its own.
    function openList(dialog) {
        var trigger = dialog.id &&
            document.querySelector('[aria-controls="' + CSS.escape(dialog.id) + '"]');
        var label = trigger && trigger.labels && trigger.labels.length ?
            trigger.labels[0].textContent.trim() : "";
        var calendar = dialog.classList.contains("dash-datepicker-content");
        if (label) {
            set(dialog, "aria-label", calendar ? label + ", kalender" : label);
            var lists = dialog.querySelectorAll("[role=listbox], [role=radiogroup], [role=group]");
            lists.forEach(function (list) {
                set(list, "aria-label", label);
            });
        }
        if (calendar) {
            dialog.querySelectorAll("input[type=number]").forEach(function (year) {
                set(year, "aria-label", "Jaar");
            });
        }
    }

    // An open dcc.Dropdown, and dcc.RadioItems, list their options as <label role=option>
    // around the radio (or, when several may be chosen, checkbox) input that takes the focus: a
    // control inside a control (axe: nested-interactive, aria-allowed-role). The inputs already make a radio group that
    // the arrow keys walk and that says which one is chosen, so the list becomes that group and
    // the labels plain labels; aria-selected, which React sets again on a change, goes with them.
    function optionList(list) {
        var multi = list.querySelector("input[type=checkbox]") !== null;
        set(list, "role", multi ? "group" : "radiogroup");
    }

    function option(label) {
        label.removeAttribute("role");
        label.removeAttribute("aria-selected");
    }

    function repair(root) {
        if (!root.querySelectorAll) {
            return;
        }
        root.querySelectorAll(".dash-dropdown-wrapper > button.dash-dropdown").forEach(dropdown);
        root.querySelectorAll(".dash-datepicker-input-wrapper").forEach(datepicker);
        root.querySelectorAll(
            ".dash-dropdown-content[role=dialog], .dash-datepicker-content[role=dialog]"
        ).forEach(openList);
        root.querySelectorAll("[role=listbox]").forEach(function (list) {
            if (list.querySelector("label.dash-options-list-option")) {
                optionList(list);
            }
        });
        root.querySelectorAll(
            "label.dash-options-list-option[role], label.dash-options-list-option[aria-selected]"
        ).forEach(option);
    }

    // After a move within the app (a menu or grid link) the focused link is gone with the old
    // page and focus would fall back to the top of the document: it goes to the content
    // instead, as a screen reader user expects after following a link.
    var moved = 0;
    function navigated() {
        moved = Date.now();
    }
    window.addEventListener("_dashprivate_pushstate", navigated);
    window.addEventListener("popstate", navigated);

    function refocus() {
        var main = document.getElementById("inhoud");
        var lost = !document.activeElement || document.activeElement === document.body;
        if (moved && lost && main && Date.now() - moved < 5000) {
            main.focus({ preventScroll: true });
            moved = 0;
        }
    }

    function watch() {
        repair(document);
        new MutationObserver(function (changes) {
            refocus();
            var roots = new Set();
            changes.forEach(function (change) {
                if (change.type === "attributes") {
                    roots.add(change.target.closest(".dash-datepicker, .dash-dropdown-wrapper") ||
                        change.target.parentNode || document);
                } else if (change.addedNodes.length) {
                    roots.add(change.target);
                }
            });
            roots.forEach(repair);
        }).observe(document.body, {
            childList: true,
            subtree: true,
            attributes: true,
            attributeFilter: [
                "aria-expanded", "aria-controls", "aria-label", "tabindex", "aria-selected", "role",
            ],
        });
    }

    // A grid cell reached with the arrow keys: Enter follows the link it shows.
    document.addEventListener("keydown", function (event) {
        var cell = event.target;
        if (event.key !== "Enter" || !cell.classList || !cell.classList.contains("ag-cell")) {
            return;
        }
        var link = cell.querySelector("a[href]");
        if (link) {
            event.preventDefault();
            link.click();
        }
    });

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", watch);
    } else {
        watch();
    }
})();
