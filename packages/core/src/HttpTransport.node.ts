/**
 * `HttpTransport` as Node's entry of `@pipedrive-effect/core` exports it: requests over `node:http`
 * and `node:https` with connections kept alive (`internal/NodeTransport.ts`), the pools closed with
 * the layer. The same `layer` as `HttpTransport.ts`, whose comment says why there are two.
 *
 * @module
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Layer from "effect/Layer"
import * as NodeTransport from "./internal/NodeTransport.ts"

/** The runtime's best `HttpClient`: `node:http` with keep-alive, on Node. */
export const layer: Layer.Layer<HttpClient.HttpClient> = NodeTransport.layer
