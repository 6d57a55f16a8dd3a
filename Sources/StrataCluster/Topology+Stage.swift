extension Topology {
    /// The entry of stage `index`, counting from 0 (the first worker of the pipeline), so that
    /// every worker can be given the same topology and pick its own layers by its stage number,
    /// as the pods of a Kubernetes StatefulSet do with their ordinal.
    public func stage(_ index: Int) throws(ClusterError) -> Worker {
        guard workers.indices.contains(index) else {
            throw .configuration("stage \(index) is not in the topology (it has stages 0 to \(workers.count - 1))")
        }
        return workers[index]
    }
}
