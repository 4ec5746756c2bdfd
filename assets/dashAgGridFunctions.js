// Value formatters for dash-ag-grid: Dutch dates (dd-mm-jjjj) and numbers (decimal comma).
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.datumNL = function (value) {
    if (!value) {
        return "";
    }
    var text = String(value);
    var time = text.length > 10 ? " " + text.slice(11, 16) : "";
    return text.slice(8, 10) + "-" + text.slice(5, 7) + "-" + text.slice(0, 4) + time;
};

// One formatter per number of decimals: building an Intl.NumberFormat costs more than using it.
var getalFormats = {};

dagfuncs.getalNL = function (value, decimals, suffix) {
    if (value === null || value === undefined || value === "") {
        return "";
    }
    var format = getalFormats[decimals];
    if (!format) {
        format = getalFormats[decimals] = new Intl.NumberFormat("nl-NL", {
            minimumFractionDigits: decimals,
            maximumFractionDigits: decimals,
        });
    }
    return format.format(value) + (suffix || "");
};
