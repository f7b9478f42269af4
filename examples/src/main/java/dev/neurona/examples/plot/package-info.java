/** Headless XChart helpers shared by the examples: line charts of training histories and decision-region plots, written as PNG. */
package dev.neurona.examples.plot;
