// Browser-side helpers for Dash clientside callbacks (kept in a file so a strict CSP can allow it).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    caseload: {
        // The demo viewer switch: the server stores the choice in the session, then we go home.
        bekijkAls: function (value) {
            if (!value) {
                return window.dash_clientside.no_update;
            }
            // The session's form token, from the logout form in the same header.
            var csrf = document.querySelector('input[name="csrf"]');
            fetch("/bekijk-als", {
                method: "POST",
                credentials: "same-origin",
                headers: {
                    "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                body: "gebruiker=" + encodeURIComponent(value) +
                    "&csrf=" + encodeURIComponent(csrf ? csrf.value : ""),
            })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error(String(response.status));
                    }
                    return response.json();
                })
                .then(function (body) {
                    window.location.assign(body.home);
                })
                .catch(function () {
                    var box = document.getElementById("bekijk-als-melding");
                    if (box) {
                        box.textContent = "Wisselen van demo-gebruiker is mislukt. Probeer het opnieuw.";
                    }
                });
            return "Bezig met wisselen...";
        },
        // A page titled by what it shows names the browser tab the same; after Dash Pages
        // has set the tab to the page's fixed title on the same render.
        tabTitel: function (title) {
            if (title) {
                setTimeout(function () {
                    document.title = title;
                }, 0);
            }
            return window.dash_clientside.no_update;
        },
        // The menu item of the page on screen stands out.
        menuActief: function (pathname, ids) {
            return ids.map(function (id) {
                return id.path === pathname ? "nav-link nav-link-actief" : "nav-link";
            });
        },
    },
});
