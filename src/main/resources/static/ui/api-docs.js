// The API page (/api/v1/docs): Swagger UI on the contract.
window.onload = () => { window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#api" }); };
