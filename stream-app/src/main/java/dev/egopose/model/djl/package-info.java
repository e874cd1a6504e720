/** POTTER as TorchScript through DJL's PyTorch engine: loading, device choice, fixed-shape batching, warm-up. */
package dev.egopose.model.djl;
