/* The network page's drawing: reads the graph the page names (data-graph-url, same origin) and
   draws it with Cytoscape, one colour a community (the same as the table's swatches, network.css),
   node size by betweenness. A tap on a node opens its entity. Without JavaScript, or if the
   request fails, the canvas stays hidden and the tables say everything. */
(function () {
  "use strict";
  var PALETTE = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2",
                 "#d55e00", "#cc79a7", "#8c6d31", "#5e3c99", "#999999"];

  // Numbers and addresses read left to right on an Arabic page too (as in the tables).
  var LTR = { Phone: true, Email: true, IdentityDocument: true, Vehicle: true, BankAccount: true };

  function label(n) {
    var text = n.caption || n.schema;
    // LRI … PDI for numbers, FSI … PDI (direction of the first letter) for names.
    return (LTR[n.schema] ? "\u2066" : "\u2068") + text + "\u2069";
  }

  function elements(graph) {
    var nodes = graph.nodes.map(function (n) {
      return { data: {
        id: n.id,
        label: label(n),
        url: n.url,
        colour: PALETTE[n.community % PALETTE.length],
        size: 18 + Math.round(42 * n.betweenness),
        seed: n.id === graph.seed ? "yes" : "no"
      } };
    });
    var edges = graph.edges.map(function (e) {
      return { data: { id: e.id, source: e.source, target: e.target, label: e.label } };
    });
    return nodes.concat(edges);
  }

  var STYLE = [
    { selector: "node", style: {
      "background-color": "data(colour)", "border-color": "#1b1f24", "border-width": 1,
      "width": "data(size)", "height": "data(size)", "label": "data(label)",
      "font-size": 11, "text-valign": "bottom", "text-margin-y": 4, "color": "#1b1f24",
      "text-wrap": "ellipsis", "text-max-width": 140 } },
    { selector: "node[seed = 'yes']", style: { "border-width": 4, "border-color": "#0b5563" } },
    { selector: "edge", style: {
      "width": 1.5, "line-color": "#8a96a3", "target-arrow-color": "#8a96a3",
      "target-arrow-shape": "triangle", "curve-style": "bezier", "label": "data(label)",
      "font-size": 9, "color": "#4f5b66", "text-rotation": "autorotate",
      "text-background-color": "#ffffff", "text-background-opacity": 0.85,
      "text-background-padding": 1, "min-zoomed-font-size": 7 } },
    { selector: "edge[label = '']", style: { "label": "" } }
  ];

  function draw(box, graph) {
    box.hidden = false;
    var cy = window.cytoscape({
      container: box,
      elements: elements(graph),
      style: STYLE,
      layout: { name: "cose", animate: false, padding: 24, idealEdgeLength: function () { return 90; },
                nodeRepulsion: function () { return 12000; } },
      minZoom: 0.2,
      maxZoom: 1.5,
      wheelSensitivity: 0.3
    });
    cy.on("tap", "node", function (event) {
      window.location.assign(event.target.data("url"));
    });
    box.setAttribute("data-nodes", String(cy.nodes().length));
  }

  function start() {
    var box = document.getElementById("network-canvas");
    if (!box || typeof window.cytoscape !== "function" || !window.fetch) {
      return;
    }
    var url = box.getAttribute("data-graph-url");
    if (!url || url.charAt(0) !== "/" || url.charAt(1) === "/") {
      return; // same origin only
    }
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("graph " + response.status); }
        return response.json();
      })
      .then(function (graph) { draw(box, graph); })
      .catch(function () { box.hidden = true; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
