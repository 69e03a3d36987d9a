// Type-level test: openapi-fetch infers requests and responses from the
// `paths` that `contracts gen --ts` writes for the shop gateway. The test
// suite copies this file next to the generated `types.ts` and runs
// `tsc --strict --noEmit`; every `@ts-expect-error` line must be an error,
// which proves the types are precise, not `any`.
import createClient from "openapi-fetch";
import type { components, paths } from "./types";

const client = createClient<paths>({ baseUrl: "https://api.shop.example" });

type Address = components["schemas"]["Address"];

const address: Address = {
    recipientName: "Erika Mustermann",
    line1: "Hauptstraße 5",
    city: "Berlin",
    postalCode: "10115",
    country: "DE",
};

export async function typedRequests(): Promise<string[]> {
    // A GET with a path parameter; the response body is the order.
    const order = await client.GET("/orders/{orderId}", {
        params: { path: { orderId: "0d6c4a52-7a5e-4f8a-9f3b-2d7c1e9b8a10" } },
    });
    const ids: string[] = [];
    if (order.data) {
        ids.push(order.data.id);
        const status: components["schemas"]["OrderStatus"] = order.data.status;
        ids.push(status);
    }

    // A GET with path and query parameters.
    const history = await client.GET("/orders/{orderId}/history", {
        params: { path: { orderId: "0d6c4a52-7a5e-4f8a-9f3b-2d7c1e9b8a10" }, query: { since: "2024-01-01T00:00:00Z", status: "paid" } },
    });
    for (const change of history.data ?? []) {
        ids.push(change.to);
    }

    // A GET with query parameters, arrays of enums included.
    const page = await client.GET("/orders", { params: { query: { limit: 20, status: ["paid", "shipped"] } } });
    for (const item of page.data?.data ?? []) {
        ids.push(item.id);
    }

    // A POST with a JSON body and a required header.
    const created = await client.POST("/orders", {
        params: { header: { "Idempotency-Key": "9c1f7e0a-3b2d-4c5e-8f6a-7b8c9d0e1f2a" } },
        body: { items: [{ productId: "5e3f1a2b-4c6d-4e8f-9a0b-1c2d3e4f5a6b", quantity: 2 }], shippingAddress: address },
    });
    if (created.error) {
        ids.push(created.error.title);
    }

    // @ts-expect-error a query parameter of the wrong type
    await client.GET("/orders", { params: { query: { limit: "twenty" } } });

    // @ts-expect-error an enum value that does not exist
    await client.GET("/orders", { params: { query: { status: ["lost"] } } });

    await client.POST("/orders", {
        params: { header: { "Idempotency-Key": "9c1f7e0a-3b2d-4c5e-8f6a-7b8c9d0e1f2a" } },
        // @ts-expect-error the required `shippingAddress` is missing
        body: { items: [{ productId: "5e3f1a2b-4c6d-4e8f-9a0b-1c2d3e4f5a6b", quantity: 1 }] },
    });

    // @ts-expect-error a path no service serves
    await client.GET("/nowhere");

    // @ts-expect-error the path parameter is required
    await client.GET("/orders/{orderId}", { params: { path: {} } });

    await client.GET("/orders/{orderId}/history", {
        // @ts-expect-error a query parameter of the wrong type, beside a path parameter
        params: { path: { orderId: "0d6c4a52-7a5e-4f8a-9f3b-2d7c1e9b8a10" }, query: { status: 7 } },
    });

    if (order.data) {
        // @ts-expect-error a property the order does not have
        ids.push(order.data.nonexistent);
    }
    return ids;
}
