// When the session has ended (idle timeout, logout in another tab, account disabled), Dash's
// requests get an empty 401: go to the login page instead of leaving a page that no longer answers.
(function () {
    var original = window.fetch;
    window.fetch = function () {
        return original.apply(this, arguments).then(function (response) {
            if (response.status === 401 && response.url.indexOf("/_dash-") !== -1) {
                var back = window.location.pathname + window.location.search;
                window.location.assign(
                    "/login?melding=verlopen&volgende=" + encodeURIComponent(back)
                );
            }
            return response;
        });
    };
})();
