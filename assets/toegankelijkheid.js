// Screen-reader and keyboard repairs of Dash's own components, applied wherever one appears
// (so sections added later are covered too); tests/e2e/test_axe.py audits the result.
(function () {
    "use strict";

    // dcc.Dropdown tabs to a hidden, aria-hidden input that forwards focus to its button: a
    // focusable element screen readers are told does not exist (axe: aria-hidden-focus). The
    // input is hidden in style.css and the button, which opens the list, takes the tab stop.
    function dropdown(button) {
        if (button.getAttribute("tabindex") === "-1" && !button.disabled) {
            button.setAttribute("tabindex", "0");
        }
    }

    // dcc.DatePickerSingle puts popup attributes on a plain div (axe: aria-allowed-attr) and
    // names its input after the placeholder, which outranks the slicer's <label>. The input
    // becomes the combobox that opens the calendar dialog, named by its label.
    var MOVED = ["aria-haspopup", "aria-expanded"];
    var DROPPED = ["aria-labelledby", "aria-disabled", "type"];

    function datepicker(wrapper) {
        var input = wrapper.querySelector("input.dash-datepicker-input");
        if (!input) {
            return;
        }
        MOVED.forEach(function (name) {
            if (wrapper.hasAttribute(name)) {
                input.setAttribute(name, wrapper.getAttribute(name));
                wrapper.removeAttribute(name);
            }
        });
        DROPPED.forEach(function (name) {
            wrapper.removeAttribute(name);
        });
        input.setAttribute("role", "combobox");
        if (input.labels && input.labels.length) {
            input.removeAttribute("aria-label");
        }
    }

    function repair(root) {
        if (!root.querySelectorAll) {
            return;
        }
        root.querySelectorAll(".dash-dropdown-wrapper > button.dash-dropdown").forEach(dropdown);
        root.querySelectorAll(".dash-datepicker-input-wrapper").forEach(datepicker);
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
            changes.forEach(function (change) {
                if (change.type === "attributes") {
                    repair(change.target.closest(".dash-datepicker, .dash-dropdown-wrapper") ||
                        change.target.parentNode || document);
                } else {
                    change.addedNodes.forEach(function (node) {
                        repair(node.parentNode || node);
                    });
                }
            });
        }).observe(document.body, {
            childList: true,
            subtree: true,
            attributes: true,
            attributeFilter: ["aria-expanded", "aria-label", "tabindex"],
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
