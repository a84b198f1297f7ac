// Starts Swagger UI on Tally's own OpenAPI document. The document is found relative to this page
// (/api-docs -> /openapi.json), so the page also works behind a reverse proxy that adds a prefix.
// validatorUrl: null keeps Swagger UI from sending the document to an online validator: the page
// must work, and leak nothing, without internet.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: new URL("openapi.json", document.baseURI).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null
  });
});
