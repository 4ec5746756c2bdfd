// Parts of a page below its first screen (dashboard/components/deferred.py) are drawn when
// their placeholder comes near the viewport: it tells the server through its "zicht" store.
// Near is a screen or so ahead: a keyboard user tabbing into the table above finds the next
// part drawn when leaving it.
(function () {
    // A placeholder element -> the id it asked for: Dash may reuse the element for the next
    // view of the page, which has another id and must ask again.
    var asked = new WeakMap();

    function ask(box) {
        if (asked.get(box) === box.id) {
            return;
        }
        near.unobserve(box);
        asked.set(box, box.id);
        var id = JSON.parse(box.id);
        id.type = "uitgesteld-zicht";
        window.dash_clientside.set_props(id, {data: Date.now()});
    }

    var AHEAD = 1000;

    function stillNear(box) {
        return box.isConnected && box.getBoundingClientRect().top < window.innerHeight + AHEAD;
    }

    // A part is asked for once its placeholder has stayed near for a moment: rows drawn
    // above it in the meantime push it down again.
    var near = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
            var box = entry.target;
            if (entry.isIntersecting) {
                setTimeout(function () {
                    if (stillNear(box)) {
                        ask(box);
                    } else if (box.isConnected) {
                        // Observing anew reports where it is now.
                        near.unobserve(box);
                        near.observe(box);
                    }
                }, 250);
            }
        });
    }, {rootMargin: "0px 0px " + AHEAD + "px 0px"});

    function waiting() {
        return Array.prototype.filter.call(document.querySelectorAll(".uitgesteld"), function (box) {
            return box.querySelector(".uitgesteld-wacht") && asked.get(box) !== box.id;
        });
    }

    // Until the grids above have drawn their rows, a placeholder sits higher than it will:
    // it would be drawn at once, on every page.
    function settled() {
        var grids = document.querySelectorAll(".grid");
        for (var i = 0; i < grids.length; i++) {
            if (!grids[i].querySelector(".ag-center-cols-container .ag-row")) {
                return false;
            }
        }
        return !document.querySelector("[data-dash-is-loading='true']");
    }

    function watch() {
        if (settled()) {
            waiting().forEach(function (box) { near.observe(box); });
        }
    }

    new MutationObserver(watch).observe(document, {
        childList: true, subtree: true, attributes: true, attributeFilter: ["data-dash-is-loading"],
    });
    // A print asks for every part; one that is not there in time prints a note to print again.
    window.addEventListener("beforeprint", function () { waiting().forEach(ask); });
})();
