package io.tidings.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.hibernate.annotations.SQLInsert;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.mapping.AttributeMapping;
import org.hibernate.metamodel.mapping.BasicValuedModelPart;
import org.hibernate.metamodel.mapping.EntityDiscriminatorMapping;
import org.hibernate.persister.entity.EntityPersister;

import io.tidings.outbox.Event;

/**
 * The INSERT of one event class, read from Hibernate's mapping of it and bound with Hibernate's own
 * value binders: the row persist() would write, without the persistence context, the action queue
 * and the flush around it, which took half of the Java time of recording an event. Exists only for
 * classes whose mapping it can write exactly; {@link #unsupported} says why another cannot.
 */
final class EventInsert {

    private final String sql;
    private final String insertInto;
    private final String values;
    private final List<Column> columns;

    private EventInsert(String insertInto, String values, List<Column> columns) {
        this.sql = insertInto + " VALUES (" + values + ")";
        this.insertInto = insertInto;
        this.values = values;
        this.columns = columns;
    }

    /**
     * The insert, made only where {@code condition} holds. In an INSERT ... SELECT, PostgreSQL types
     * the parameters from the target columns, as it does in VALUES.
     */
    String insertWhere(String condition) {
        return insertInto + " SELECT " + values + " WHERE " + condition;
    }

    /** Binds the event's values from parameter {@code first} on. @return the index after them */
    int bind(PreparedStatement statement, int first, Event event, SharedSessionContractImplementor session) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            columns.get(i).bind(statement, first + i, event, session);
        }
        return first + columns.size();
    }

    /** Inserts the events, all of this class, in one batch on the session's connection. */
    void execute(Connection connection, List<Event> events, SharedSessionContractImplementor session) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Event event : events) {
                bind(insert, event, session);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Inserts one event and runs {@code query} after it in the same round trip: pgjdbc sends both
     * statements of one prepared statement together, and the server runs them in order.
     *
     * @param query a query returning one integer, whose parameters {@code binder} sets from the given index
     * @return that integer
     */
    int executeThen(Connection connection, Event event, SharedSessionContractImplementor session, String query, QueryBinder binder)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql + ";\n" + query)) {
            bind(statement, event, session);
            binder.bind(statement, columns.size() + 1);
            statement.execute();
            statement.getMoreResults();
            try (ResultSet result = statement.getResultSet()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    /** Sets the parameters of a query that follows the insert in one statement. */
    @FunctionalInterface
    interface QueryBinder {
        void bind(PreparedStatement statement, int first) throws SQLException;
    }

    private void bind(PreparedStatement insert, Event event, SharedSessionContractImplementor session) throws SQLException {
        bind(insert, 1, event, session);
    }

    /** The insert of an entity class that {@link #unsupported} accepts. */
    static EventInsert of(EntityPersister persister) {
        List<Column> columns = new ArrayList<>();
        BasicValuedModelPart id = persister.getIdentifierMapping().asBasicValuedModelPart();
        columns.add(new Column(id, entity -> persister.getIdentifierMapping().getIdentifier(entity)));
        persister.forEachAttributeMapping(attribute -> {
            BasicValuedModelPart part = attribute.asBasicValuedModelPart();
            if (part.isInsertable()) {
                columns.add(new Column(part, attribute::getValue));
            }
        });
        List<String> names = new ArrayList<>(columns.stream().map(column -> column.part.getSelectionExpression()).toList());
        List<String> values = new ArrayList<>(columns.stream().map(column -> column.part.getWriteExpression()).toList());
        EntityDiscriminatorMapping discriminator = persister.getDiscriminatorMapping();
        if (discriminator != null && discriminator.hasPhysicalColumn()) {
            names.add(discriminator.getSelectionExpression());
            values.add(persister.getDiscriminatorSQLValue());
        }
        return new EventInsert("INSERT INTO " + id.getContainingTableExpression() + " (" + String.join(", ", names) + ")",
                String.join(", ", values), List.copyOf(columns));
    }

    /**
     * Why the entity's rows cannot be written by a plain insert of its attributes, or null when
     * they can. Anything that makes persist() do more than that (generated or versioned values,
     * formulas, embedded or associated attributes, custom SQL) keeps the class on persist().
     */
    static String unsupported(EntityPersister persister) {
        if (persister.isVersioned() || persister.hasPreInsertGeneratedProperties() || persister.hasInsertGeneratedProperties()
                || persister.isIdentifierAssignedByInsert()) {
            return "it has generated or versioned values";
        }
        if (persister.isDynamicInsert()) {
            return "it uses dynamic inserts";
        }
        if (persister.getIdentifierMapping().asBasicValuedModelPart() == null) {
            return "its identifier is not a single column";
        }
        for (Class<?> type = persister.getMappedClass(); type != null; type = type.getSuperclass()) {
            if (type.isAnnotationPresent(SQLInsert.class)) {
                return "it declares @SQLInsert";
            }
        }
        List<String> reasons = new ArrayList<>();
        persister.forEachAttributeMapping(attribute -> {
            String reason = unsupported(attribute, persister);
            if (reason != null) {
                reasons.add("attribute " + attribute.getAttributeName() + " " + reason);
            }
        });
        return reasons.isEmpty() ? null : String.join(", ", reasons);
    }

    private static String unsupported(AttributeMapping attribute, EntityPersister persister) {
        BasicValuedModelPart part = attribute.asBasicValuedModelPart();
        if (part == null) {
            return "is not a basic value";
        }
        if (attribute.getGenerator() != null) {
            return "is generated";
        }
        if (part.isFormula() || parameters(part.getWriteExpression()) != 1) {
            return "is a formula or written by an expression without exactly one parameter";
        }
        if (!part.getContainingTableExpression().equals(persister.getIdentifierMapping().asBasicValuedModelPart().getContainingTableExpression())) {
            return "is in another table";
        }
        return null;
    }

    private static long parameters(String writeExpression) {
        return writeExpression == null ? 0 : writeExpression.chars().filter(c -> c == '?').count();
    }

    private record Column(BasicValuedModelPart part, Function<Object, Object> value) {

        void bind(PreparedStatement insert, int position, Event event, SharedSessionContractImplementor session) throws SQLException {
            Object jdbcValue = part.disassemble(value.apply(event), session);
            part.getJdbcMapping().getJdbcValueBinder().bind(insert, jdbcValue, position, session);
        }
    }
}
