package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.Input;

/** The outbox of a replica with one face: its messages and local events go straight to the simulation. */
record DirectOutbox(Simulation sim, int index) implements SimNode.Outbox {
    @Override
    public void send(int to, Payload payload) {
        sim.send(index, to, payload);
    }

    @Override
    public void local(long atMs, Input input) {
        sim.local(index, atMs, input);
    }

    @Override
    public void later(long atMs, Payload payload) {
        sim.local(index, atMs, payload);
    }
}
